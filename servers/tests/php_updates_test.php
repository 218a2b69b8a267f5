<?php
// The PHP variants write every row on /updates, even when the new random number equals the old one.
//
// Doctrine's unit of work leaves an entity whose field was set to its current value out of the flush, so
// without the store's fix a row that drew its own number again (1 in 10,000) got no UPDATE, which fails
// TechEmpower's strict count. This test forces that case for every row: it sets the rows to a known number,
// makes the draw return that same number, runs each store's updateWorlds and checks in PostgreSQL that every
// row got a new row version (its xmin changed), i.e. that an UPDATE really ran for it.
//
// Usage (needs a seeded database; with_postgres.sh makes one):
//   servers/tests/with_postgres.sh /usr/bin/php8.2 servers/tests/php_updates_test.php
// Exit 0 if every variant wrote every row, 1 otherwise.

declare(strict_types=1);

use Bench\App;
use Bench\Config;
use Bench\Rules;
use Bench\Store\OrmStore;

require dirname(__DIR__) . '/php-symfony/src/bootstrap.php';

const IDS = [11, 22, 33, 44, 55];
const SAME = 4242;

$runDir = sys_get_temp_dir() . '/bench-php-updates-test.' . getmypid();
mkdir($runDir, 0700);
putenv("BENCH_PHP_RUN_DIR=$runDir");
register_shutdown_function(static fn () => exec('rm -rf ' . escapeshellarg($runDir)));

$db = Config::database();
$pdo = new PDO(Config::pdoDsn($db), $db['user'], $db['password'], [PDO::ATTR_ERRMODE => PDO::ERRMODE_EXCEPTION]);
$in = implode(',', IDS);
$versions = static fn (): array => $pdo->query("SELECT id, xmin::text FROM world WHERE id IN ($in) ORDER BY id")
    ->fetchAll(PDO::FETCH_KEY_PAIR);

$em = OrmStore::entityManager($db, $runDir, true);  // as run.sh's warmup: proxy classes
$em->getProxyFactory()->generateProxyClasses($em->getMetadataFactory()->getAllMetadata());

$failures = 0;
foreach (['raw', 'dbal', 'orm', 'orm-nocache'] as $variant) {
    $pdo->exec('UPDATE world SET randomnumber = ' . SAME . " WHERE id IN ($in)");
    $before = $versions();
    Rules::$draw = static fn (): int => SAME;  // every row draws the number it already has
    try {
        $rows = App::makeStore($variant)->updateWorlds(IDS);
    } finally {
        Rules::$draw = null;
    }
    $after = $versions();
    $written = count(array_filter(IDS, static fn (int $id) => $after[$id] !== $before[$id]));
    if (array_column($rows, 'randomNumber') !== array_fill(0, count(IDS), SAME)) {
        fwrite(STDERR, "FAIL php-$variant: unexpected rows " . json_encode($rows) . "\n");
        $failures++;
    } elseif ($written !== count(IDS)) {
        fwrite(STDERR, "FAIL php-$variant: $written of " . count(IDS) . " rows whose number did not change were written\n");
        $failures++;
    } else {
        echo "ok php-$variant: all ", count(IDS), " unchanged rows written\n";
    }
}
exit($failures ? 1 : 0);
