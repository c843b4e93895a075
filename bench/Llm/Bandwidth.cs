using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Rag.Llm.Bench;

/// <summary>Memory bandwidth as a large copy sees it: bytes read plus bytes written per second, best of several
/// passes over a buffer far larger than the caches. This is the bound a weight-streaming decode step runs into.</summary>
internal static class Bandwidth
{
    public static unsafe double MeasureBytesPerSecond(int passes)
    {
        const nuint size = 512 * 1024 * 1024;
        var source = (byte*)NativeMemory.AlignedAlloc(size, 64);
        var target = (byte*)NativeMemory.AlignedAlloc(size, 64);
        try
        {
            new Span<byte>(source, (int)size).Fill(1);
            new Span<byte>(target, (int)size).Clear();
            var best = double.MaxValue;
            for (var pass = 0; pass < passes; pass++)
            {
                var clock = Stopwatch.StartNew();
                // Two halves on two threads: decode uses every core too.
                Parallel.For(0, Environment.ProcessorCount, part =>
                {
                    var chunk = size / (nuint)Environment.ProcessorCount;
                    Buffer.MemoryCopy(source + (chunk * (nuint)part), target + (chunk * (nuint)part), chunk, chunk);
                });
                best = Math.Min(best, clock.Elapsed.TotalSeconds);
            }
            return 2.0 * size / best;
        }
        finally
        {
            NativeMemory.AlignedFree(source);
            NativeMemory.AlignedFree(target);
        }
    }
}
