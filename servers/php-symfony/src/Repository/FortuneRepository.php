<?php

declare(strict_types=1);

namespace Bench\Repository;

use Bench\Entity\Fortune;
use Doctrine\ORM\EntityRepository;

/** @extends EntityRepository<Fortune> */
final class FortuneRepository extends EntityRepository
{
    /**
     * Every fortune through DQL (the query cache keeps its parsed SQL), without ORDER BY: sorting is the
     * application's work.
     * @return list<Fortune>
     */
    public function all(): array
    {
        return $this->createQueryBuilder('f')->getQuery()->getResult();
    }
}
