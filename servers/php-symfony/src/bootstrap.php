<?php
// Class loading: Debian's autoloaders for Symfony, Doctrine and Twig (/usr/share/php, on PHP's include_path),
// and this folder for the Bench\ namespace.

declare(strict_types=1);

require_once 'Symfony/Component/HttpKernel/autoload.php';
require_once 'Symfony/Component/Routing/autoload.php';

spl_autoload_register(static function (string $class): void {
    if (str_starts_with($class, 'Bench\\')) {
        $file = __DIR__ . '/' . str_replace('\\', '/', substr($class, 6)) . '.php';
        if (is_file($file)) {
            require $file;
        }
    }
});
