<?php

declare(strict_types=1);

namespace Bench\Repository;

use Bench\Entity\World;
use Doctrine\ORM\EntityRepository;

/** @extends EntityRepository<World> */
final class WorldRepository extends EntityRepository
{
}
