<?php
// TechEmpower's rules that every variant shares (docs/servers.md).

declare(strict_types=1);

namespace Bench;

final class Rules
{
    public const WORLD_ROWS = 10000;
    public const MAX_QUERIES = 500;
    public const EXTRA_FORTUNE = 'Additional fortune added at request time.';

    /** The draw of a new randomNumber; a test replaces it to force the same-value UPDATE. */
    public static ?\Closure $draw = null;

    /** The queries parameter clamped to 1..500; missing, empty, 0, negative or not an integer -> 1. */
    public static function queryCount(mixed $text): int
    {
        if (!is_string($text) || preg_match('/^-?[0-9]+$/', $text) !== 1) {
            return 1;
        }
        return max(1, min(self::MAX_QUERIES, (int) $text));  // (int) saturates on overflow
    }

    public static function randomId(): int
    {
        return mt_rand(1, self::WORLD_ROWS);
    }

    public static function randomNumber(): int
    {
        return self::$draw !== null ? (self::$draw)() : mt_rand(1, self::WORLD_ROWS);
    }

    /** @return list<int> n distinct ids: no row is read or written twice in one request. */
    public static function randomIds(int $n): array
    {
        $ids = [];
        while (count($ids) < $n) {
            $ids[mt_rand(1, self::WORLD_ROWS)] = true;
        }
        return array_keys($ids);
    }

    /**
     * All fortunes plus the one added at request time, sorted by message (the SQL has no ORDER BY).
     * @param array<int, string> $fortunes id => message
     * @return array<int, string>
     */
    public static function withExtraFortune(array $fortunes): array
    {
        $fortunes[0] = self::EXTRA_FORTUNE;
        asort($fortunes, SORT_STRING);
        return $fortunes;
    }
}
