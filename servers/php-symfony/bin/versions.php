<?php
// Prints the components' versions as one JSON object (the scenarios' `versions:` command, via run.sh).

declare(strict_types=1);

require dirname(__DIR__) . '/src/bootstrap.php';
require_once 'Doctrine/ORM/autoload.php';
require_once 'Twig/autoload.php';

/** A Debian package's version, or null when it is not installed. */
function debian(string $package): ?string
{
    $out = [];
    exec('dpkg-query -W -f=\'${Version}\' ' . escapeshellarg($package) . ' 2>/dev/null', $out, $status);
    return $status === 0 && $out ? $out[0] : null;
}

$nginx = [];
exec('/usr/sbin/nginx -v 2>&1', $nginx);
$versions = [
    'php' => PHP_VERSION,
    'php-fpm' => debian('php8.2-fpm'),
    'nginx' => preg_match('~nginx/(\S+)~', implode("\n", $nginx), $m) ? $m[1] : null,
    'framework' => 'symfony/http-kernel',
    'symfony-http-kernel' => Symfony\Component\HttpKernel\Kernel::VERSION,
    'pdo_pgsql' => phpversion('pdo_pgsql') ?: null,
    'libpq' => defined('PGSQL_LIBPQ_VERSION') ? PGSQL_LIBPQ_VERSION : null,
    'doctrine-dbal' => debian('php-doctrine-dbal'),
    'doctrine-orm' => debian('php-doctrine-orm'),
    'twig' => Twig\Environment::VERSION,
];
echo json_encode(array_filter($versions, fn ($v) => $v !== null), JSON_UNESCAPED_SLASHES), "\n";
