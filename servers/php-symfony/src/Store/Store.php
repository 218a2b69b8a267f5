<?php
// One data-access layer of the ladder. Rows come back as ['id' => int, 'randomNumber' => int].

declare(strict_types=1);

namespace Bench\Store;

interface Store
{
    /** @return array{id: int, randomNumber: int} */
    public function world(int $id): array;

    /**
     * One query per id.
     * @param list<int> $ids
     * @return list<array{id: int, randomNumber: int}>
     */
    public function worlds(array $ids): array;

    /**
     * Reads each row, gives it a new random number and writes it: one UPDATE per row, in id order, even when
     * the new number equals the old one.
     * @param list<int> $ids
     * @return list<array{id: int, randomNumber: int}>
     */
    public function updateWorlds(array $ids): array;

    /** @return array<int, string> every Fortune row, id => message, in the table's order */
    public function fortunes(): array;
}
