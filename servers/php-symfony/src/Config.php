<?php
// What the harness passes through the environment (docs/servers.md), read once per request.

declare(strict_types=1);

namespace Bench;

final class Config
{
    public const VARIANTS = ['json', 'raw', 'dbal', 'orm', 'orm-nocache'];

    /** BENCH_VARIANT: json, raw (PDO), dbal (query builder), orm, orm-nocache. */
    public static function variant(): string
    {
        $variant = (string) getenv('BENCH_VARIANT');
        if (!in_array($variant, self::VARIANTS, true)) {
            throw new ConfigError(sprintf('BENCH_VARIANT=%s is not a variant of this server; expected %s',
                json_encode($variant), implode(', ', self::VARIANTS)));
        }
        return $variant;
    }

    /** The folder the launcher made for this run: Doctrine's caches and proxies, Twig's compiled templates. */
    public static function runDir(): string
    {
        $dir = (string) getenv('BENCH_PHP_RUN_DIR');
        if ($dir === '' || !is_dir($dir)) {
            throw new ConfigError('BENCH_PHP_RUN_DIR must name the run folder (run.sh sets it)');
        }
        return $dir;
    }

    /**
     * The database from DATABASE_URL, else libpq's PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE.
     * @return array{host: string, port: int, user: string, password: string, dbname: string}
     */
    public static function database(): array
    {
        $url = (string) getenv('DATABASE_URL');
        if ($url !== '') {
            $parts = parse_url($url);
            if ($parts === false || !in_array($parts['scheme'] ?? '', ['postgresql', 'postgres'], true)
                || !isset($parts['host'])) {
                throw new ConfigError('DATABASE_URL is not a postgresql://user:password@host:port/dbname URL');
            }
            return [
                'host' => trim($parts['host'], '[]'),
                'port' => (int) ($parts['port'] ?? 5432),
                'user' => rawurldecode($parts['user'] ?? 'postgres'),
                'password' => rawurldecode($parts['pass'] ?? ''),
                'dbname' => rawurldecode(ltrim($parts['path'] ?? '', '/')) ?: 'hello_world',
            ];
        }
        $host = (string) getenv('PGHOST');
        if ($host === '') {
            throw new ConfigError('DATABASE_URL (or PGHOST etc.) is required by every variant but json');
        }
        return [
            'host' => $host,
            'port' => (int) (getenv('PGPORT') ?: 5432),
            'user' => (string) (getenv('PGUSER') ?: 'postgres'),
            'password' => (string) getenv('PGPASSWORD'),
            'dbname' => (string) (getenv('PGDATABASE') ?: 'hello_world'),
        ];
    }

    /** PDO's DSN for pdo_pgsql. */
    public static function pdoDsn(array $db): string
    {
        return sprintf('pgsql:host=%s;port=%d;dbname=%s', $db['host'], $db['port'], $db['dbname']);
    }
}
