# frozen_string_literal: true

Rails.application.routes.draw do
  get "/json", to: "bench#json"
  get "/plaintext", to: "bench#plaintext"
  if Bench.settings.database?
    get "/db", to: "bench#db"
    get "/queries", to: "bench#queries"
    get "/updates", to: "bench#updates"
    get "/fortunes", to: "bench#fortunes"
  end
end
