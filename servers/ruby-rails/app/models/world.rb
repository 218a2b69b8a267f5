# frozen_string_literal: true

class World < ApplicationRecord
  self.table_name = "world"

  # TechEmpower's key is randomNumber; the column is randomnumber (unquoted, so lower case).
  def as_json(_options = nil)
    { "id" => id, "randomNumber" => randomnumber }
  end
end
