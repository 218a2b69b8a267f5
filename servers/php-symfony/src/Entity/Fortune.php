<?php

declare(strict_types=1);

namespace Bench\Entity;

use Bench\Repository\FortuneRepository;
use Doctrine\ORM\Mapping as ORM;

#[ORM\Entity(repositoryClass: FortuneRepository::class)]
#[ORM\Table(name: 'fortune')]
class Fortune
{
    #[ORM\Id]
    #[ORM\Column(type: 'integer')]
    public int $id;

    #[ORM\Column(type: 'string', length: 2048)]
    public string $message;
}
