// Each test class starts its own server; WebApplicationFactory's host capture is process-wide, so classes run one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
