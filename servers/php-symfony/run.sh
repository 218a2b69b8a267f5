#!/usr/bin/env bash
# servers/php-symfony: TechEmpower's endpoints on Symfony's HttpKernel 5.4 under php-fpm 8.2, behind nginx, as
# PHP is served in production (and by TechEmpower). One command starts both as one server, in the foreground:
#   ./run.sh               with BENCH_VARIANT = json | raw | dbal | orm | orm-nocache (src/Store/*.php)
#   ./run.sh --versions    the components' versions as one JSON object
# It writes php-fpm's and nginx's configuration into a fresh folder under $TMPDIR (nothing system-wide is read
# for the server's settings, used or changed), runs bin/warmup.php (settings check, ORM proxies and caches),
# starts php-fpm (pm = static, $PHP_FPM_WORKERS workers, default $BENCH_DB_POOL_SIZE, each with one
# persistent database connection) on a unix socket in that folder, and nginx on $BENCH_HOST:$PORT only.
# SIGTERM to the process group stops both and removes the folder; if either exits, the other is stopped too.
set -uo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
php=/usr/bin/php8.2
fpm=/usr/sbin/php-fpm8.2
nginx=/usr/sbin/nginx

if [[ "${1:-}" == "--versions" ]]; then
  exec "$php" "$here/bin/versions.php"
fi
die() { echo "php-symfony: $*" >&2; exit 2; }
for tool in "$php" "$fpm" "$nginx"; do
  [[ -x "$tool" ]] || { echo "php-symfony: $tool is missing (scripts/setup installs it)" >&2; exit 1; }
done
port="${PORT:-8080}"
[[ "$port" =~ ^[0-9]+$ ]] && ((port > 0 && port < 65536)) || die "PORT=$port must be a port number"
host="${BENCH_HOST:-127.0.0.1}"
[[ "$host" =~ ^[0-9A-Fa-f.:]+$ ]] || die "BENCH_HOST=$host must be an IP address"
[[ "$host" == *:* ]] && listen="[$host]:$port" || listen="$host:$port"
pool="${BENCH_DB_POOL_SIZE:-16}"
[[ "$pool" =~ ^[0-9]+$ ]] && ((pool > 0)) || die "BENCH_DB_POOL_SIZE=$pool must be a positive integer"
workers="${PHP_FPM_WORKERS:-$pool}"
[[ "$workers" =~ ^[0-9]+$ ]] && ((workers > 0)) || die "PHP_FPM_WORKERS=$workers must be a positive integer"

run="$(mktemp -d "${TMPDIR:-/tmp}/bench-php-symfony.XXXXXX")" || exit 1
export BENCH_PHP_RUN_DIR="$run"
trap 'rm -rf "$run"' EXIT  # until php-fpm takes over (below), then the watcher removes it

"$php" "$here/bin/warmup.php" || exit $?

# As root (bench runs as root on its machines) both run their workers as root too: php-fpm needs -R for that,
# and nginx's workers would otherwise be `nobody`, who cannot enter the run folder.
as_root=()
nginx_user=""
if ((EUID == 0)); then
  as_root=(-R)
  nginx_user="user root root;"
fi
fpm_user=""
((EUID == 0)) && fpm_user="user = root"

cat >"$run/php-fpm.conf" <<CONF
[global]
pid = $run/php-fpm.pid
error_log = /proc/self/fd/2
log_level = warning
daemonize = no

[bench]
$fpm_user
listen = $run/php-fpm.sock
listen.backlog = 4096
listen.mode = 0600
; TechEmpower's PHP entries: pm = static with more workers than connections (1,024 for 512 on 28 threads).
pm = static
pm.max_children = $workers
clear_env = no
catch_workers_output = yes
decorate_workers_output = no
php_admin_flag[display_errors] = off
php_admin_flag[log_errors] = on
php_admin_value[error_log] = /proc/self/fd/2
php_admin_value[memory_limit] = 512M
CONF

mkdir -p "$run/nginx"
cat >"$run/nginx.conf" <<CONF
$nginx_user
worker_processes auto;
pid $run/nginx.pid;
error_log stderr error;
daemon off;
events {
    worker_connections 4096;
}
http {
    access_log off;
    server_tokens off;
    tcp_nodelay on;
    keepalive_timeout 65;
    keepalive_requests 1000;
    client_body_temp_path $run/nginx/client_body;
    fastcgi_temp_path $run/nginx/fastcgi;
    proxy_temp_path $run/nginx/proxy;
    uwsgi_temp_path $run/nginx/uwsgi;
    scgi_temp_path $run/nginx/scgi;
    fastcgi_buffers 256 16k;
    fastcgi_buffer_size 128k;
    server {
        listen $listen;
        location / {
            include /etc/nginx/fastcgi_params;
            fastcgi_param SCRIPT_FILENAME $here/public/index.php;
            fastcgi_pass unix:$run/php-fpm.sock;
        }
    }
}
CONF

# php-fpm's master calls setsid() unless it leads its process group already, and bench measures a server's CPU
# and stops it by process group: so php-fpm replaces this script (exec, below) and leads the group bench made,
# its workers stay in it, and nginx (daemon off) is in it too. A watcher in the group, the parent of nginx,
# stops nginx when php-fpm ends and php-fpm when nginx ends, then removes the run folder.
fpm_pid=$$
(
  # nginx opens the port once php-fpm listens, so the port answering means the server is ready.
  for _ in $(seq 600); do [[ -S "$run/php-fpm.sock" ]] && break; kill -0 "$fpm_pid" 2>/dev/null || { rm -rf "$run"; exit; }; sleep 0.05; done
  "$nginx" -e stderr -p "$run/nginx" -c "$run/nginx.conf" &
  nginx_pid=$!
  trap '' TERM INT  # outlive the group's SIGTERM long enough to clean up
  tail --pid="$fpm_pid" -s 0.2 -f /dev/null &
  fpm_watch=$!
  wait -n "$nginx_pid" "$fpm_watch"
  kill -TERM "$nginx_pid" "$fpm_pid" 2>/dev/null
  wait "$nginx_pid" "$fpm_watch"
  rm -rf "$run"
) &
trap - EXIT
# opcache as production runs it (and TechEmpower's php.ini): on, never re-checking the files it compiled.
exec "$fpm" --nodaemonize --fpm-config "$run/php-fpm.conf" "${as_root[@]}" -d opcache.enable=1 \
  -d opcache.validate_timestamps=0 -d opcache.memory_consumption=128 -d opcache.max_accelerated_files=20000 \
  -d realpath_cache_ttl=600 -d zend.assertions=-1
