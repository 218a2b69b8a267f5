<?php
// The application on Symfony's HttpKernel 5.4 components: a route collection and RouterListener, the
// controller and argument resolvers, kernel events for errors, Response objects and a Twig template. Built
// per request, as every PHP request under php-fpm starts from nothing (opcache keeps the compiled code).

declare(strict_types=1);

namespace Bench;

use Bench\Store\DbalStore;
use Bench\Store\OrmStore;
use Bench\Store\RawStore;
use Bench\Store\Store;
use Symfony\Component\EventDispatcher\EventDispatcher;
use Symfony\Component\HttpFoundation\JsonResponse;
use Symfony\Component\HttpFoundation\Request;
use Symfony\Component\HttpFoundation\RequestStack;
use Symfony\Component\HttpFoundation\Response;
use Symfony\Component\HttpKernel\Controller\ArgumentResolver;
use Symfony\Component\HttpKernel\Controller\ControllerResolver;
use Symfony\Component\HttpKernel\Event\ExceptionEvent;
use Symfony\Component\HttpKernel\EventListener\RouterListener;
use Symfony\Component\HttpKernel\Exception\HttpExceptionInterface;
use Symfony\Component\HttpKernel\HttpKernel;
use Symfony\Component\HttpKernel\KernelEvents;
use Symfony\Component\Routing\Matcher\UrlMatcher;
use Symfony\Component\Routing\RequestContext;
use Symfony\Component\Routing\Route;
use Symfony\Component\Routing\RouteCollection;

final class App
{
    private ?Store $store = null;

    private function __construct(private string $variant)
    {
    }

    public static function kernel(string $variant): HttpKernel
    {
        $app = new self($variant);
        $routes = new RouteCollection();
        $app->route($routes, '/json', 'json');
        $app->route($routes, '/plaintext', 'plaintext');
        if ($variant !== 'json') {
            foreach (['/db' => 'db', '/queries' => 'queries', '/updates' => 'updates', '/fortunes' => 'fortunes'] as $path => $action) {
                $app->route($routes, $path, $action);
            }
        }
        $requestStack = new RequestStack();
        $dispatcher = new EventDispatcher();
        $dispatcher->addSubscriber(new RouterListener(new UrlMatcher($routes, new RequestContext()), $requestStack));
        $dispatcher->addListener(KernelEvents::EXCEPTION, [self::class, 'onException']);
        return new HttpKernel($dispatcher, new ControllerResolver(), $requestStack, new ArgumentResolver());
    }

    private function route(RouteCollection $routes, string $path, string $action): void
    {
        $routes->add($action, new Route($path, ['_controller' => [$this, $action]], methods: ['GET']));
    }

    /** 404 and 405 from routing; anything else is a 500 that names the error (and goes to php-fpm's log). */
    public static function onException(ExceptionEvent $event): void
    {
        $error = $event->getThrowable();
        if ($error instanceof HttpExceptionInterface) {
            $event->setResponse(new Response($error->getMessage(), $error->getStatusCode(),
                ['Content-Type' => 'text/plain'] + $error->getHeaders()));
            return;
        }
        error_log('php-symfony: ' . $error);
        $event->setResponse(new Response('server error: ' . $error->getMessage(), 500, ['Content-Type' => 'text/plain']));
    }

    public function json(): JsonResponse
    {
        return new JsonResponse(['message' => 'Hello, World!']);
    }

    public function plaintext(): Response
    {
        return new Response('Hello, World!', 200, ['Content-Type' => 'text/plain']);
    }

    public function db(): JsonResponse
    {
        return new JsonResponse($this->store()->world(Rules::randomId()));
    }

    public function queries(Request $request): JsonResponse
    {
        $ids = Rules::randomIds(Rules::queryCount($request->query->get('queries')));
        return new JsonResponse($this->store()->worlds($ids));
    }

    public function updates(Request $request): JsonResponse
    {
        $ids = Rules::randomIds(Rules::queryCount($request->query->get('queries')));
        return new JsonResponse($this->store()->updateWorlds($ids));
    }

    public function fortunes(): Response
    {
        require_once 'Twig/autoload.php';
        $twig = new \Twig\Environment(new \Twig\Loader\FilesystemLoader(dirname(__DIR__) . '/templates'), [
            'cache' => Config::runDir() . '/twig',  // compiled templates, as in production
            'auto_reload' => false,
            'autoescape' => 'html',
        ]);
        $fortunes = Rules::withExtraFortune($this->store()->fortunes());
        return new Response($twig->render('fortunes.html.twig', ['fortunes' => $fortunes]), 200,
            ['Content-Type' => 'text/html; charset=utf-8']);
    }

    private function store(): Store
    {
        return $this->store ??= self::makeStore($this->variant);
    }

    public static function makeStore(string $variant): Store
    {
        $db = Config::database();
        return match ($variant) {
            'raw' => new RawStore($db),
            'dbal' => new DbalStore($db),
            'orm' => new OrmStore($db, Config::runDir(), true),
            'orm-nocache' => new OrmStore($db, Config::runDir(), false),
        };
    }
}
