using Microsoft.ML.Tokenizers;
using Rag.TestSupport;
using Rag.Tokenizers;

namespace Rag.Retrieval.Tests.Support;

/// <summary>
/// ModelForge's tiny Llama: its real byte-level BPE tokenizer counts the prompt wherever the Answerer needs the
/// LLM's tokenizer, also when a <see cref="ScriptedChatClient"/> stands in for the model's text.
/// </summary>
public static class TinyLlm
{
    private static readonly Lazy<Tokenizer> SharedTokenizer = new(() => HfTokenizer.Load(Folder).AsTokenizer());

    public static string Folder => ForgedModels.Decoder();

    public static Tokenizer Tokenizer => SharedTokenizer.Value;
}
