<?php
// Run once by run.sh before php-fpm starts: checks the settings (exit 2 naming the wrong one), checks that the
// database answers (exit 1), and for the ORM variants does what `cache:warmup` does in production: generates
// the entities' proxy classes and, for `orm`, fills the metadata cache.

declare(strict_types=1);

use Bench\App;
use Bench\Config;
use Bench\ConfigError;
use Bench\Store\OrmStore;

require dirname(__DIR__) . '/src/bootstrap.php';

try {
    $variant = Config::variant();
    if ($variant === 'json') {
        exit(0);
    }
    $db = Config::database();
    $runDir = Config::runDir();
} catch (ConfigError $e) {
    fwrite(STDERR, 'php-symfony: ' . $e->getMessage() . "\n");
    exit(2);
}
try {
    $store = App::makeStore($variant);
    $store->world(1);
    if (str_starts_with($variant, 'orm')) {
        $em = OrmStore::entityManager($db, $runDir, $variant === 'orm');
        $metadata = $em->getMetadataFactory()->getAllMetadata();
        $em->getProxyFactory()->generateProxyClasses($metadata);
    }
} catch (Throwable $e) {
    fwrite(STDERR, 'php-symfony: warming up the ' . $variant . ' variant failed: ' . $e->getMessage() . "\n");
    exit(1);
}
