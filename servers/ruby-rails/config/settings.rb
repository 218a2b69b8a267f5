# frozen_string_literal: true

require "uri"

module Bench
  # What the harness tells the server through the environment (docs/servers.md lists every variable).
  # Settings.load raises ConfigError on a bad or missing setting; run.rb prints it and exits 2.
  class ConfigError < StandardError; end

  # Every variant, in ladder order (cheapest layer first). `json` has no database.
  VARIANTS = %w[json raw sequel activerecord baked].freeze

  Settings = Struct.new(
    :variant,      # one of VARIANTS
    :host,         # the one address puma listens on (BENCH_HOST, default 127.0.0.1)
    :port,         # PORT, default 8080
    :database_url, # postgresql://user:password@host:port/dbname ("" for json)
    :workers,      # puma worker processes (WORKERS, default 2)
    :threads,      # puma threads per worker (THREADS, default 5); also each worker's pool size
    keyword_init: true
  ) do
    def database?
      variant != "json"
    end

    def active_record?
      %w[activerecord baked].include?(variant)
    end

    # puma's bind URL; an IPv6 address goes in brackets.
    def bind_url
      "tcp://#{host.include?(':') ? "[#{host}]" : host}:#{port}"
    end
  end

  # The process's settings, read once.
  def self.settings
    @settings ||= load_settings
  end

  def self.load_settings(env = ENV)
    variant = env.fetch("BENCH_VARIANT", "")
    unless VARIANTS.include?(variant)
      raise ConfigError, "BENCH_VARIANT=#{variant.inspect} is not a variant of this server; " \
                         "expected one of #{VARIANTS.join(', ')}"
    end
    host = env.fetch("BENCH_HOST", "")
    Settings.new(variant: variant,
                 host: host.empty? ? "127.0.0.1" : host,
                 port: positive_int(env, "PORT", 8080),
                 database_url: variant == "json" ? "" : database_url(env),
                 workers: positive_int(env, "WORKERS", 2),
                 threads: positive_int(env, "THREADS", 5))
  end

  def self.positive_int(env, name, default)
    text = env.fetch(name, "")
    return default if text.empty?
    raise ConfigError, "#{name}=#{text.inspect} must be a positive integer" unless text.match?(/\A[0-9]+\z/) && text.to_i.positive?

    text.to_i
  end

  # DATABASE_URL, or one built from libpq's PGHOST, PGPORT, PGUSER, PGPASSWORD and PGDATABASE.
  def self.database_url(env)
    url = env.fetch("DATABASE_URL", "")
    return url unless url.empty?
    host = env.fetch("PGHOST", "")
    raise ConfigError, "DATABASE_URL (or PGHOST etc.) is required by every variant but json" if host.empty?

    user = URI.encode_www_form_component(env.fetch("PGUSER", "postgres"))
    password = env.fetch("PGPASSWORD", "")
    auth = password.empty? ? user : "#{user}:#{URI.encode_www_form_component(password)}"
    host = "[#{host}]" if host.include?(":")
    database = URI.encode_www_form_component(env.fetch("PGDATABASE", "hello_world"))
    "postgresql://#{auth}@#{host}:#{env.fetch('PGPORT', '5432')}/#{database}"
  end
end
