# frozen_string_literal: true

require "pg"
require_relative "../rules"

module Bench
  # ruby-pg (libpq) with hand-written SQL, every statement prepared once per connection at connect. The pool is a
  # queue of connections, all opened at start (ruby-pg has no pool of its own); autocommit throughout.
  class RawStore
    STATEMENTS = {
      "world" => "SELECT id, randomnumber FROM world WHERE id = $1",
      "fortune" => "SELECT id, message FROM fortune",
      "update" => "UPDATE world SET randomnumber = $1 WHERE id = $2"
    }.freeze

    def initialize(url, size)
      @url = url
      @size = size
      @pool = Thread::Queue.new
    end

    def start
      @size.times do
        conn = PG.connect(@url)
        STATEMENTS.each { |name, sql| conn.prepare(name, sql) }
        @pool << conn
      end
    end

    def stop
      @pool.pop.close until @pool.empty?
    end

    def world(id)
      with_connection { |conn| read_world(conn, id) }
    end

    def worlds(ids)
      with_connection { |conn| ids.map { |id| read_world(conn, id) } }
    end

    # Reads every row, then writes each its new number, one UPDATE per row in id order.
    def update_worlds(ids)
      with_connection do |conn|
        rows = ids.map { |id| read_world(conn, id) }
        rows.each { |row| row[:randomNumber] = Rules.random_number }
        rows.sort_by { |row| row[:id] }.each do |row|
          conn.exec_prepared("update", [row[:randomNumber], row[:id]])
        end
        rows
      end
    end

    def fortunes
      with_connection do |conn|
        conn.exec_prepared("fortune").values.map { |id, message| { id: id.to_i, message: message } }
      end
    end

    def extra_fortune
      { id: 0, message: Rules::EXTRA_FORTUNE_MESSAGE }
    end

    private

    def with_connection
      conn = @pool.pop
      begin
        yield conn
      ensure
        @pool << conn
      end
    end

    def read_world(conn, id)
      result = conn.exec_prepared("world", [id])
      { id: result.getvalue(0, 0).to_i, randomNumber: result.getvalue(0, 1).to_i }
    end
  end
end
