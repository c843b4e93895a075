using Rag.Embedding.Batching;

namespace Rag.Embedding.Tests.Batching;

public class BatchPlannerTests
{
    private static int[] RandomLengths(int count, int seed)
    {
        var random = new Random(seed);
        var lengths = new int[count];
        for (var i = 0; i < count; i++)
        {
            lengths[i] = random.Next(1, 300);
        }
        return lengths;
    }

    [Theory]
    [InlineData(1, 64)]
    [InlineData(37, 512)]
    [InlineData(500, 4096)]
    public void Every_text_is_planned_exactly_once(int count, int budget)
    {
        var plan = BatchPlanner.Plan(RandomLengths(count, count), budget);

        var seen = plan.Batches.SelectMany(b => plan.Order[b]).Order().ToArray();
        Assert.Equal(Enumerable.Range(0, count), seen);
    }

    [Fact]
    public void Batches_stay_within_the_token_budget_counting_padding()
    {
        var lengths = RandomLengths(1000, 7);
        var plan = BatchPlanner.Plan(lengths, 2048);

        foreach (var batch in plan.Batches)
        {
            var members = plan.Order[batch];
            var padded = members.Length * members.Max(i => lengths[i]);
            Assert.True(padded <= 2048, $"batch of {members.Length} pads to {padded} tokens");
        }
    }

    [Fact]
    public void Batches_are_filled_greedily_until_the_next_text_would_not_fit_or_would_be_mostly_padding()
    {
        var lengths = RandomLengths(1000, 11);
        var plan = BatchPlanner.Plan(lengths, 2048);

        for (var b = 0; b < plan.Batches.Count - 1; b++)
        {
            var members = plan.Order[plan.Batches[b]];
            var longest = members.Max(i => lengths[i]);
            var next = lengths[plan.Order[plan.Batches[b + 1]][0]];
            Assert.True((members.Length + 1) * longest > 2048 || next < BatchPlanner.MinLengthRatio * longest);
        }
    }

    [Fact]
    public void A_much_shorter_text_is_not_padded_to_a_long_one()
    {
        var plan = BatchPlanner.Plan([300, 20, 290, 25], 100_000);

        Assert.Equal([[0, 2], [3, 1]], plan.Batches.Select(b => plan.Order[b]));
    }

    [Fact]
    public void Texts_are_ordered_longest_first_with_ties_in_input_order()
    {
        int[] lengths = [5, 9, 5, 1, 9];
        var plan = BatchPlanner.Plan(lengths, 1000);

        Assert.Equal([1, 4, 0, 2, 3], plan.Order);
    }

    [Fact]
    public void A_text_longer_than_the_budget_runs_alone()
    {
        int[] lengths = [10, 600, 10];
        var plan = BatchPlanner.Plan(lengths, 100);

        Assert.Equal([1], plan.Order[plan.Batches[0]]);
        Assert.Equal([0, 2], plan.Order[plan.Batches[1]]);
    }
}
