# frozen_string_literal: true

module Bench
  # TechEmpower's rules that every variant shares (docs/servers.md, "The endpoint contract").
  module Rules
    WORLD_ROWS = 10_000
    MAX_QUERIES = 500
    EXTRA_FORTUNE_MESSAGE = "Additional fortune added at request time."

    module_function

    # The queries parameter clamped to 1..500; missing, empty, 0, negative or not an integer -> 1.
    def query_count(text)
      n = text.is_a?(String) && text.match?(/\A-?[0-9]+\z/) ? text.to_i : 1
      n.clamp(1, MAX_QUERIES)
    end

    def random_id
      rand(1..WORLD_ROWS)
    end

    def random_number
      rand(1..WORLD_ROWS)
    end

    # n distinct ids: no row is read or written twice in one request, so query counts are exactly n.
    def random_ids(count)
      ids = {}
      ids[random_id] = true while ids.size < count
      ids.keys
    end

    # All fortunes plus the one added at request time, sorted by message (the SQL has no ORDER BY).
    # Rows are anything that answers [:id] and [:message] (hashes, structs, ActiveRecord models).
    def with_extra_fortune(rows, extra)
      (rows << extra).sort_by! { |f| f[:message] }
    end
  end
end
