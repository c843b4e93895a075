namespace Rag.Tokenizers.PreTokenizers;

/// <summary>Splits (and may rewrite) a normalized piece into the pieces the model sees one at a time.</summary>
internal interface IPreTokenizer
{
    void Split(AlignedText piece, List<AlignedText> output);
}

internal sealed class SequencePreTokenizer(IReadOnlyList<IPreTokenizer> steps) : IPreTokenizer
{
    public void Split(AlignedText piece, List<AlignedText> output)
    {
        List<AlignedText> current = [piece];
        foreach (var step in steps)
        {
            var next = new List<AlignedText>(current.Count * 2);
            foreach (var p in current)
            {
                step.Split(p, next);
            }

            current = next;
        }

        output.AddRange(current);
    }
}
