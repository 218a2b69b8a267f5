# frozen_string_literal: true

module Bench
  # The variant's data-access layer, one per puma worker, opened after the fork (config/puma.rb, on_worker_boot)
  # so that no connection is shared between processes. Every store answers world(id), worlds(ids),
  # update_worlds(ids), fortunes and extra_fortune; the json variant has none.
  class << self
    attr_reader :store

    def start_store
      @store = new_store(settings)
      @store&.start
    end

    def stop_store
      @store&.stop
      @store = nil
    end

    private

    def new_store(settings)
      case settings.variant
      when "raw"
        require_relative "stores/raw_store"
        RawStore.new(settings.database_url, settings.threads)
      when "sequel"
        require_relative "stores/sequel_store"
        SequelStore.new(settings.database_url, settings.threads)
      when "activerecord"
        require_relative "stores/active_record_store"
        ActiveRecordStore.new
      when "baked"
        require_relative "stores/active_record_store"
        BakedStore.new
      end
    end
  end
end
