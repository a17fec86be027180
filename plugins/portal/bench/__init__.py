"""Benchmarks, one per concern (`make bench`, `bench-review`, `bench-royalties`,
`python -m portal.bench.intake`): the top floor, free to drive any command."""
