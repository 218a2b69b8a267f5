<?php
// The front controller php-fpm runs for every request (nginx passes every path here).

declare(strict_types=1);

use Bench\App;
use Bench\Config;
use Symfony\Component\HttpFoundation\Request;

require dirname(__DIR__) . '/src/bootstrap.php';

$kernel = App::kernel(Config::variant());
$request = Request::createFromGlobals();
$response = $kernel->handle($request);
$response->send();
$kernel->terminate($request, $response);
