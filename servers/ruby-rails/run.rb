# frozen_string_literal: true

# Starts puma with config/puma.rb, or prints the components' versions as one JSON object (--versions).
#
# Usage: BENCH_VARIANT=activerecord DATABASE_URL=postgresql://... PORT=8080 ruby run.rb
# The settings are checked before puma loads Rails or forks, so a bad variant or a missing database exits 2
# with one line.
Dir.chdir(__dir__)
require_relative "config/settings"

def print_versions
  require "json"
  require "rails"
  require "active_record"
  require "sequel"
  require "pg"
  require "puma/const"
  require "rack"
  libpq = PG.library_version
  puts JSON.generate(
    "ruby" => RUBY_VERSION,
    "rails" => Rails.version,
    "puma" => Puma::Const::PUMA_VERSION,
    "rack" => Rack.release,
    "activerecord" => ActiveRecord.version.to_s,
    "sequel" => Sequel.version,
    "pg" => PG::VERSION,
    "libpq" => "#{libpq / 10_000}.#{libpq % 10_000}"
  )
end

if ARGV.include?("--versions")
  print_versions
  exit 0
end
begin
  Bench.settings
rescue Bench::ConfigError => e
  warn "ruby-rails server: #{e.message}"
  exit 2
end
# One connection before puma forks, so that a database that does not answer (or refuses the password) ends the
# server with its message, rather than puma restarting workers that fail to connect.
if Bench.settings.database?
  require "pg"
  begin
    PG.connect(Bench.settings.database_url).close
  rescue PG::Error => e
    warn "ruby-rails server: cannot connect to the database: #{e.message.strip}"
    exit 1
  end
end
require "puma/cli"
Puma::CLI.new(["--config", File.join(__dir__, "config/puma.rb")]).run
