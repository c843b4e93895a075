using Rag.Llm.Generation;

namespace Rag.Llm.Tests.Generation;

public class StopStringsTests
{
    [Fact]
    public void A_stop_string_split_across_deltas_is_never_emitted()
    {
        var stops = new StopStrings(["STOP"]);

        var emitted = string.Concat(stops.Push("Hel"), stops.Push("lo S"), stops.Push("T"), stops.Push("OP and more"));

        Assert.Equal("Hello ", emitted);
        Assert.True(stops.Stopped);
        Assert.Equal("", stops.Push("later"));
        Assert.Equal("", stops.Flush());
    }

    [Fact]
    public void Held_back_text_is_released_when_it_turns_out_not_to_be_a_stop()
    {
        var stops = new StopStrings(["STOP"]);

        Assert.Equal("a", stops.Push("aST"));
        Assert.Equal("START", stops.Push("ART"));
        Assert.Equal("x", stops.Push("xS"));
        Assert.Equal("S", stops.Flush());
        Assert.False(stops.Stopped);
    }

    [Fact]
    public void The_earliest_of_several_stop_strings_cuts()
    {
        var stops = new StopStrings(["world", "lo w"]);

        Assert.Equal("hel", stops.Push("hello world"));
    }
}
