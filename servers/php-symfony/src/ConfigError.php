<?php

declare(strict_types=1);

namespace Bench;

/** A missing or wrong setting: the launcher exits 2 with its message. */
final class ConfigError extends \RuntimeException
{
}
