using System.Diagnostics;

namespace Rag.Embedding.Bench;

internal static class Timed
{
    public static double Sync(Action action)
    {
        var clock = Stopwatch.StartNew();
        action();
        return clock.Elapsed.TotalSeconds;
    }

    public static async Task<double> Async(Func<Task> action)
    {
        var clock = Stopwatch.StartNew();
        await action();
        return clock.Elapsed.TotalSeconds;
    }
}
