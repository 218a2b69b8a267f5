<?php
// `raw`: PDO (pdo_pgsql) with hand-written SQL and server-side prepared statements, each statement prepared
// once per request and executed once per row; one persistent connection per php-fpm worker.

declare(strict_types=1);

namespace Bench\Store;

use Bench\Config;
use Bench\Rules;
use PDO;

final class RawStore implements Store
{
    private PDO $pdo;

    public function __construct(array $db)
    {
        $this->pdo = new PDO(Config::pdoDsn($db), $db['user'], $db['password'], [
            PDO::ATTR_PERSISTENT => true,
            PDO::ATTR_ERRMODE => PDO::ERRMODE_EXCEPTION,
            PDO::ATTR_EMULATE_PREPARES => false,
        ]);
    }

    public function world(int $id): array
    {
        $select = $this->pdo->prepare('SELECT id, randomnumber FROM world WHERE id = ?');
        return self::row($select, $id);
    }

    public function worlds(array $ids): array
    {
        $select = $this->pdo->prepare('SELECT id, randomnumber FROM world WHERE id = ?');
        $rows = [];
        foreach ($ids as $id) {
            $rows[] = self::row($select, $id);
        }
        return $rows;
    }

    public function updateWorlds(array $ids): array
    {
        sort($ids);
        $rows = $this->worlds($ids);
        $update = $this->pdo->prepare('UPDATE world SET randomnumber = ? WHERE id = ?');
        foreach ($rows as &$row) {
            $row['randomNumber'] = Rules::randomNumber();
            $update->execute([$row['randomNumber'], $row['id']]);
        }
        return $rows;
    }

    public function fortunes(): array
    {
        $fortunes = [];
        $select = $this->pdo->prepare('SELECT id, message FROM fortune');
        $select->execute();
        foreach ($select->fetchAll(PDO::FETCH_NUM) as [$id, $message]) {
            $fortunes[(int) $id] = $message;
        }
        return $fortunes;
    }

    private static function row(\PDOStatement $select, int $id): array
    {
        $select->execute([$id]);
        $row = $select->fetch(PDO::FETCH_NUM);
        if ($row === false) {
            throw new \RuntimeException("no world row $id");
        }
        return ['id' => (int) $row[0], 'randomNumber' => (int) $row[1]];
    }
}
