# frozen_string_literal: true

require "sequel"
require_relative "../rules"

module Bench
  # Sequel's dataset API (a query builder returning hashes) on its postgres adapter (ruby-pg). Each call builds
  # its dataset and literal SQL (Sequel sends values inline, unprepared); Sequel's thread-safe pool holds `size`
  # connections, all opened at start (preconnect). Autocommit, as the raw rung.
  class SequelStore
    def initialize(url, size)
      @url = url
      @size = size
    end

    def start
      @db = Sequel.connect(@url, max_connections: @size, preconnect: true, test: false)
      @world = @db[:world].select(:id, Sequel.as(:randomnumber, :randomNumber))
      @fortune = @db[:fortune].select(:id, :message)
    end

    def stop
      @db&.disconnect
    end

    def world(id)
      @world.where(id: id).first
    end

    def worlds(ids)
      ids.map { |id| @world.where(id: id).first }
    end

    # Reads every row, then one UPDATE per row in id order.
    def update_worlds(ids)
      rows = worlds(ids)
      rows.each { |row| row[:randomNumber] = Rules.random_number }
      rows.sort_by { |row| row[:id] }.each do |row|
        @db[:world].where(id: row[:id]).update(randomnumber: row[:randomNumber])
      end
      rows
    end

    def fortunes
      @fortune.all
    end

    def extra_fortune
      { id: 0, message: Rules::EXTRA_FORTUNE_MESSAGE }
    end
  end
end
