# frozen_string_literal: true

# The ActiveRecord rungs of servers/ruby-rails write every row on /updates, even when the new random number
# equals the old one.
#
# ActiveRecord's dirty tracking leaves a model whose attribute was set to its current value out of `save`, so
# without `randomnumber_will_change!` a row that drew its own number again (1 in 10,000) got no UPDATE and
# TechEmpower's strict count failed. This test forces that case for every row: it sets the rows to a known
# number, makes the random draw return that same number, and counts the UPDATEs ActiveRecord sends (its
# sql.active_record notifications) and the rows in the table. It also checks the rows are written in id order.
#
# Usage (needs a seeded database; with_postgres.sh makes one):
#   servers/tests/with_postgres.sh /usr/bin/ruby servers/tests/rails_updates_test.rb
# Exit 0 if both ActiveRecord rungs wrote every row, 1 otherwise.

ENV["BENCH_VARIANT"] = "activerecord"
ENV["THREADS"] = "1"
require_relative "../ruby-rails/config/environment"
require_relative "../ruby-rails/lib/stores/active_record_store"

IDS = [55, 11, 44, 22, 33].freeze
SAME = 4242

def updates_sent(store)
  World.where(id: IDS).update_all(randomnumber: SAME)
  sent = []
  subscriber = ActiveSupport::Notifications.subscribe("sql.active_record") do |*, payload|
    sent << payload[:binds].map(&:value).last if payload[:sql].lstrip.upcase.start_with?("UPDATE")
  end
  rows = Bench::Rules.stub_random_number(SAME) { store.update_worlds(IDS) }
  ActiveSupport::Notifications.unsubscribe(subscriber)
  numbers = rows.map { |w| w.as_json["randomNumber"] }
  raise "unexpected rows: #{rows.map(&:as_json)}" unless numbers == [SAME] * IDS.size

  sent
end

module Bench
  module Rules
    # Makes every draw return `value` for the block's duration.
    def self.stub_random_number(value)
      original = method(:random_number)
      define_singleton_method(:random_number) { value }
      yield
    ensure
      define_singleton_method(:random_number, original)
    end
  end
end

failures = 0
Bench.start_store
{ "activerecord" => Bench::ActiveRecordStore.new, "baked" => Bench::BakedStore.new }.each do |name, store|
  ids = updates_sent(store)
  if ids == IDS.sort
    puts "#{name}: #{ids.size} UPDATEs for #{IDS.size} rows that kept their number, in id order"
  else
    warn "#{name}: UPDATEs for ids #{ids.inspect}, expected #{IDS.sort.inspect} (one per row, in id order)"
    failures += 1
  end
end
Bench.stop_store
exit(failures.zero? ? 0 : 1)
