<?php
// `orm` and `orm-nocache`: Doctrine ORM 2.14 entities (PHP attributes) and repositories on the same DBAL
// connection as `dbal`. An EntityManager is built per request (PHP shares nothing between requests), so what
// production keeps between requests is what its caches hold:
//   orm          metadata and query caches in Symfony's PhpFilesAdapter (what Symfony's prod `cache.system`
//                pool is without APCu; opcache keeps the files in shared memory), warmed by run.sh at start
//   orm-nocache  no metadata or query cache: every request reads the entities' attributes by reflection
//                again (and parses its DQL again)
// Proxy classes are generated once at start (run.sh), as `cache:warmup` does in production.

declare(strict_types=1);

namespace Bench\Store;

use Bench\Entity\Fortune;
use Bench\Entity\World;
use Bench\Rules;
use Doctrine\DBAL\DriverManager;
use Doctrine\ORM\Configuration;
use Doctrine\ORM\EntityManager;
use Doctrine\ORM\Mapping\Driver\AttributeDriver;
use Doctrine\ORM\Proxy\ProxyFactory;
use Symfony\Component\Cache\Adapter\PhpFilesAdapter;

final class OrmStore implements Store
{
    private EntityManager $em;

    public function __construct(array $db, string $runDir, bool $caches)
    {
        $this->em = self::entityManager($db, $runDir, $caches);
    }

    public static function entityManager(array $db, string $runDir, bool $caches): EntityManager
    {
        require_once 'Doctrine/ORM/autoload.php';
        require_once 'Symfony/Component/Cache/autoload.php';
        $config = new Configuration();
        $config->setMetadataDriverImpl(new AttributeDriver([dirname(__DIR__) . '/Entity']));
        $config->setProxyDir($runDir . '/doctrine-proxies');
        $config->setProxyNamespace('BenchProxies');
        $config->setAutoGenerateProxyClasses(ProxyFactory::AUTOGENERATE_NEVER);
        if ($caches) {
            $pool = new PhpFilesAdapter('doctrine', 0, $runDir . '/cache');
            $config->setMetadataCache($pool);
            $config->setQueryCache($pool);
        }
        $conn = DriverManager::getConnection(DbalStore::params($db), $config);
        return new EntityManager($conn, $config);
    }

    public function world(int $id): array
    {
        return $this->find($id)->jsonSerialize();
    }

    public function worlds(array $ids): array
    {
        $rows = [];
        foreach ($ids as $id) {
            $rows[] = $this->find($id)->jsonSerialize();
        }
        return $rows;
    }

    public function updateWorlds(array $ids): array
    {
        sort($ids);  // flush() writes in the order the entities were loaded: id order
        $worlds = array_map(fn (int $id) => $this->find($id), $ids);
        $uow = $this->em->getUnitOfWork();
        foreach ($worlds as $world) {
            $world->randomNumber = Rules::randomNumber();
            // The unit of work leaves an entity whose new value equals the loaded one (1 in 10,000 per row)
            // out of the flush, which fails TechEmpower's strict UPDATE count: forget the loaded value, so
            // that the field is always dirty (SQLAlchemy's flag_modified).
            $uow->setOriginalEntityProperty(spl_object_id($world), 'randomNumber', null);
        }
        $this->em->flush();  // one UPDATE per row, in one transaction
        return array_map(fn (World $w) => $w->jsonSerialize(), $worlds);
    }

    public function fortunes(): array
    {
        $fortunes = [];
        foreach ($this->em->getRepository(Fortune::class)->all() as $fortune) {
            $fortunes[$fortune->id] = $fortune->message;
        }
        return $fortunes;
    }

    private function find(int $id): World
    {
        $world = $this->em->getRepository(World::class)->find($id);
        if ($world === null) {
            throw new \RuntimeException("no world row $id");
        }
        return $world;
    }
}
