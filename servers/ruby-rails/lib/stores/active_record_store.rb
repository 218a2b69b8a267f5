# frozen_string_literal: true

require_relative "../rules"

module Bench
  # ActiveRecord models as a Rails app writes them (app/models: World, Fortune): World.find, Fortune.all,
  # save! on each changed model inside one transaction. Rails itself connects from config/database.yml (the
  # pool is puma's thread count, as Rails sizes it); start opens every connection of the pool at boot.
  # World.find goes through ActiveRecord's statement cache (its SQL is built once per process) and PostgreSQL
  # prepared statements; saving goes through validations, callbacks and dirty tracking.
  class ActiveRecordStore
    def start
      pool = ActiveRecord::Base.connection_pool
      connections = Array.new(pool.size) { pool.checkout }
      connections.each { |conn| pool.checkin(conn) }
      [World, Fortune].each(&:columns_hash) # reads the tables' columns once, here rather than on a first request
    end

    def stop
      ActiveRecord::Base.connection_handler.clear_all_connections!
    end

    def world(id)
      World.find(id)
    end

    def worlds(ids)
      ids.map { |id| world(id) }
    end

    # Reads every row, then saves each with its new number, in id order, in one transaction. Dirty tracking
    # leaves a model whose new number equals its old one (1 draw in 10,000) out of the save, so the change is
    # forced: TechEmpower counts one UPDATE per row.
    def update_worlds(ids)
      worlds = worlds(ids)
      worlds.each do |world|
        world.randomnumber = Rules.random_number
        world.randomnumber_will_change!
      end
      World.transaction { worlds.sort_by(&:id).each(&:save!) }
      worlds
    end

    def fortunes
      Fortune.all.to_a
    end

    def extra_fortune
      Fortune.new(id: 0, message: Rules::EXTRA_FORTUNE_MESSAGE)
    end
  end

  # Rails' "baked" rung: the same models, loaded from hand-written SQL with find_by_sql and a bound, prepared
  # parameter, so no relation or Arel is built and no statement cache is looked up. Writes as ActiveRecordStore.
  class BakedStore < ActiveRecordStore
    WORLD_SQL = "SELECT id, randomnumber FROM world WHERE id = $1"
    FORTUNE_SQL = "SELECT id, message FROM fortune"
    ID_TYPE = ActiveModel::Type::Integer.new

    def world(id)
      bind = ActiveRecord::Relation::QueryAttribute.new("id", id, ID_TYPE)
      World.find_by_sql(WORLD_SQL, [bind], preparable: true).first or raise ActiveRecord::RecordNotFound
    end

    def fortunes
      Fortune.find_by_sql(FORTUNE_SQL, [], preparable: true)
    end
  end
end
