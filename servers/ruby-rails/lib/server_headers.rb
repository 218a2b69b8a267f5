# frozen_string_literal: true

require "time"

module Bench
  # Adds Server and the current Date to every response: puma 5 sends neither, and TechEmpower requires both
  # (a Date that does not move on a kept-alive connection fails its check).
  class ServerHeaders
    def initialize(app)
      @app = app
    end

    def call(env)
      status, headers, body = @app.call(env)
      headers["Server"] = "puma"
      headers["Date"] = Time.now.httpdate
      [status, headers, body]
    end
  end
end
