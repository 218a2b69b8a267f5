# frozen_string_literal: true

# A Rails 6.1 application in production mode, API-only middleware (no cookies, sessions or flash), request
# logging off. The variant (Bench.settings, from config/settings.rb) chooses the data-access layer behind the
# controller; ActiveRecord's railtie (its executor hooks, query cache and connection handling) is loaded only
# by the rungs that use it, so the json, raw and sequel rungs run Rails without it.
require_relative "settings"

ENV["RAILS_ENV"] = "production"
require "rails"
require "action_controller/railtie"
require "action_view/railtie"
require "active_record/railtie" if Bench.settings.active_record?
require_relative "../lib/server_headers"
require_relative "../lib/store"

module RubyRails
  class Application < Rails::Application
    config.load_defaults 6.1
    config.api_only = true
    config.eager_load = true
    config.cache_classes = true
    config.consider_all_requests_local = false
    config.public_file_server.enabled = false
    config.cache_store = :null_store
    config.secret_key_base = "bench-rails-not-secret" # nothing is signed: no cookies, no sessions
    config.logger = ActiveSupport::Logger.new($stderr)
    config.log_level = :warn # no line per request
    config.middleware.insert_before 0, Bench::ServerHeaders
    # The models need ActiveRecord; the rungs without it must not eager-load them.
    Rails.autoloaders.main.ignore(root.join("app/models")) unless Bench.settings.active_record?
  end
end
