using System.Diagnostics;

namespace Rag.Embedding.Bench;

/// <summary>Wall-clock seconds of one phase, also written to stderr as the phase ends (a long run shows progress).</summary>
internal static class Timed
{
    public static async Task<double> Async(string phase, Func<Task> action)
    {
        var clock = Stopwatch.StartNew();
        await action();
        return Report(phase, clock);
    }

    private static double Report(string phase, Stopwatch clock)
    {
        var seconds = clock.Elapsed.TotalSeconds;
        Console.Error.WriteLine($"{DateTime.UtcNow:HH:mm:ss} {phase}: {seconds:F2} s");
        return seconds;
    }
}
