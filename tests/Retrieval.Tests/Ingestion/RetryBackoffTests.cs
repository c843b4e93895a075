using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Rag.Retrieval.Ingestion;

namespace Rag.Retrieval.Tests.Ingestion;

public sealed class RetryBackoffTests
{
    [Theory]
    [InlineData(1, 5)]
    [InlineData(2, 10)]
    [InlineData(3, 20)]
    [InlineData(4, 40)]
    [InlineData(5, 60)]
    [InlineData(6, 60)]
    [InlineData(100, 60)]
    public void The_delay_doubles_with_each_failed_attempt_and_stops_at_the_cap(int failedAttempt, int expectedSeconds)
    {
        var backoff = new RetryBackoff(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(60));

        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), backoff.DelayAfter(failedAttempt));
    }

    [Fact]
    public void A_zero_initial_delay_retries_at_once_every_time()
    {
        var backoff = new RetryBackoff(TimeSpan.Zero, TimeSpan.FromMinutes(5));

        Assert.Equal(TimeSpan.Zero, backoff.DelayAfter(1));
        Assert.Equal(TimeSpan.Zero, backoff.DelayAfter(100));
    }

    [Fact]
    public void The_defaults_wait_five_seconds_first_and_five_minutes_at_most()
    {
        var backoff = RetryBackoff.From(new RetrievalOptions());

        Assert.Equal(TimeSpan.FromSeconds(5), backoff.DelayAfter(1));
        Assert.Equal(TimeSpan.FromSeconds(40), backoff.DelayAfter(4));
        Assert.Equal(TimeSpan.FromMinutes(5), backoff.DelayAfter(8));
    }

    [Fact]
    public void There_is_no_attempt_zero()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new RetryBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)).DelayAfter(0));
    }

    [Theory]
    [InlineData("00:10:00", "00:05:00", "IngestionRetryMaxDelay")]
    [InlineData("-00:00:01", "00:05:00", "IngestionRetryDelay")]
    [InlineData("02:00:00", "1.00:00:00", "IngestionRetryDelay")]
    [InlineData("00:00:05", "2.00:00:00", "IngestionRetryMaxDelay")]
    public void Retry_delays_out_of_range_stop_start_up_with_the_setting_named(string delay, string maxDelay, string named)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Retrieval:IngestionRetryDelay"] = delay,
            ["Retrieval:IngestionRetryMaxDelay"] = maxDelay,
        }).Build();
        using var provider = new ServiceCollection().AddRetrieval(configuration).BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<RetrievalOptions>>().Value);

        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }
}
