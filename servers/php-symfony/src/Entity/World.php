<?php

declare(strict_types=1);

namespace Bench\Entity;

use Bench\Repository\WorldRepository;
use Doctrine\ORM\Mapping as ORM;

#[ORM\Entity(repositoryClass: WorldRepository::class)]
#[ORM\Table(name: 'world')]
class World implements \JsonSerializable
{
    #[ORM\Id]
    #[ORM\Column(type: 'integer')]
    public int $id;

    #[ORM\Column(name: 'randomnumber', type: 'integer')]
    public int $randomNumber;

    public function jsonSerialize(): array
    {
        return ['id' => $this->id, 'randomNumber' => $this->randomNumber];
    }
}
