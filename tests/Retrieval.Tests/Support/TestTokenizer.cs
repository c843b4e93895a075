using System.Text;
using Microsoft.ML.Tokenizers;

namespace Rag.Retrieval.Tests.Support;

/// <summary>
/// A real WordPiece (BERT) tokenizer over a small vocab.txt written here: common English words as
/// whole tokens, every other word spelled out in single-letter pieces, so counts vary the way a
/// real embedder's do (rare words cost several tokens).
/// </summary>
public static class TestTokenizer
{
    private static readonly Lazy<Tokenizer> Shared = new(Create);

    public static Tokenizer Instance => Shared.Value;

    private static BertTokenizer Create()
    {
        var vocab = new StringBuilder("[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\n");
        foreach (var c in "abcdefghijklmnopqrstuvwxyz0123456789.,;:!?'\"()-[]/>#*_")
        {
            vocab.Append(c).Append('\n');
            vocab.Append("##").Append(c).Append('\n');
        }
        foreach (var word in CommonWords.Split(' '))
        {
            vocab.Append(word).Append('\n');
        }
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(vocab.ToString()));
        return BertTokenizer.Create(stream);
    }

    private const string CommonWords =
        "the of and to in is was for on that with as by at from it this be are or an which not have has " +
        "document section chapter page text chunk search answer question source model vector database " +
        "install configure server service user data file run start stop time first second third alpha beta";
}
