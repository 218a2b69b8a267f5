# frozen_string_literal: true

# puma as TechEmpower's Rails entry runs it: cluster mode, the application preloaded in the master and forked,
# `threads` equal minimum and maximum. TechEmpower sizes workers from the machine (config/auto_tune.rb there:
# ceil(1.25 x vCPUs), at least 2, fewer if memory is short) with Rails' default 5 threads each; here WORKERS
# (default 2, one per core of the project's 2-core machine) and THREADS (default 5) set them.
require_relative "settings"

settings = Bench.settings
environment "production"
rackup File.expand_path("../config.ru", __dir__)
bind settings.bind_url
workers settings.workers
threads settings.threads, settings.threads
preload_app!
quiet
# The load generator holds its connections for a whole run; puma's default closes them after 20 s idle.
persistent_timeout 3600

# Each worker opens its own connections after the fork, before it accepts a request. puma only logs an exception
# from a hook and boots the worker anyway, so a worker without its store exits instead (run.rb has already
# checked that the database answers).
on_worker_boot do
  Bench.start_store
rescue StandardError => e
  warn "ruby-rails server: worker #{Process.pid} could not open its database connections: #{e.class}: #{e.message}"
  exit 1
end
on_worker_shutdown { Bench.stop_store }
