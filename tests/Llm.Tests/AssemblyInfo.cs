// Tests share two cores and read process-wide meters; running them one class at a time keeps both honest.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
