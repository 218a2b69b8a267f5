# frozen_string_literal: true

# TechEmpower's six endpoints. The data-access layer is the variant's store (Bench.store, see lib/stores);
# the controller, routing, JSON encoding and the template are the same on every rung.
class BenchController < ActionController::Base
  def json
    render json: { message: "Hello, World!" }
  end

  def plaintext
    render plain: "Hello, World!"
  end

  def db
    render json: Bench.store.world(Bench::Rules.random_id)
  end

  def queries
    render json: Bench.store.worlds(random_ids)
  end

  def updates
    render json: Bench.store.update_worlds(random_ids)
  end

  def fortunes
    store = Bench.store
    @fortunes = Bench::Rules.with_extra_fortune(store.fortunes, store.extra_fortune)
    render :fortunes # ERB escapes every <%= %>: the <script> fortune renders as text
  end

  private

  def random_ids
    Bench::Rules.random_ids(Bench::Rules.query_count(params[:queries]))
  end
end
