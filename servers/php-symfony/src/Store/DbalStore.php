<?php
// `dbal`: Doctrine DBAL 3's query builder on pdo_pgsql: each call builds its statement with the builder, DBAL
// renders the SQL and runs it as a prepared statement with bound parameters. The connection is persistent
// (one per php-fpm worker), as with `raw`.

declare(strict_types=1);

namespace Bench\Store;

use Bench\Rules;
use Doctrine\DBAL\Connection;
use Doctrine\DBAL\DriverManager;
use Doctrine\DBAL\ParameterType;

final class DbalStore implements Store
{
    private Connection $conn;

    public function __construct(array $db)
    {
        require_once 'Doctrine/DBAL/autoload.php';
        $this->conn = DriverManager::getConnection(self::params($db));
    }

    /** DBAL's connection parameters for the database (the ORM uses the same). */
    public static function params(array $db): array
    {
        return [
            'driver' => 'pdo_pgsql',
            'host' => $db['host'],
            'port' => $db['port'],
            'user' => $db['user'],
            'password' => $db['password'],
            'dbname' => $db['dbname'],
            'persistent' => true,
        ];
    }

    public function world(int $id): array
    {
        $row = $this->conn->createQueryBuilder()
            ->select('id', 'randomnumber')
            ->from('world')
            ->where('id = ?')
            ->setParameter(0, $id, ParameterType::INTEGER)
            ->executeQuery()
            ->fetchNumeric();
        if ($row === false) {
            throw new \RuntimeException("no world row $id");
        }
        return ['id' => (int) $row[0], 'randomNumber' => (int) $row[1]];
    }

    public function worlds(array $ids): array
    {
        $rows = [];
        foreach ($ids as $id) {
            $rows[] = $this->world($id);
        }
        return $rows;
    }

    public function updateWorlds(array $ids): array
    {
        sort($ids);
        $rows = $this->worlds($ids);
        foreach ($rows as &$row) {
            $row['randomNumber'] = Rules::randomNumber();
            $this->conn->createQueryBuilder()
                ->update('world')
                ->set('randomnumber', '?')
                ->where('id = ?')
                ->setParameter(0, $row['randomNumber'], ParameterType::INTEGER)
                ->setParameter(1, $row['id'], ParameterType::INTEGER)
                ->executeStatement();
        }
        return $rows;
    }

    public function fortunes(): array
    {
        $fortunes = [];
        $result = $this->conn->createQueryBuilder()->select('id', 'message')->from('fortune')->executeQuery();
        foreach ($result->fetchAllNumeric() as [$id, $message]) {
            $fortunes[(int) $id] = $message;
        }
        return $fortunes;
    }
}
