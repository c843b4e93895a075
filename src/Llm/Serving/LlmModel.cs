using Rag.Llm.Chat;
using Rag.Llm.Engine;
using Rag.Llm.Generation;
using Rag.Llm.Loading;
using Rag.Llm.Onnx;
using Rag.Tokenizers;

namespace Rag.Llm.Serving;

/// <summary>One loaded model and everything requests share: the session, tokenizer, chat template, the engine that
/// batches every request, and the generator. The single owner of the native session and of the engine.</summary>
public sealed class LlmModel : IDisposable
{
    private LlmModel(ModelFolder folder, DecoderSession session, HfTokenizer tokenizer, ChatTemplate template,
        EngineLoop engine, Generator generator)
    {
        Folder = folder;
        Session = session;
        Tokenizer = tokenizer;
        Template = template;
        Engine = engine;
        Generator = generator;
    }

    public ModelFolder Folder { get; }
    public DecoderSession Session { get; }
    public HfTokenizer Tokenizer { get; }
    public ChatTemplate Template { get; }
    public EngineLoop Engine { get; }
    public Generator Generator { get; }

    /// <summary>The model's name, as users call it (e.g. "SmolLM2-135M-Instruct").</summary>
    public string ModelId => Folder.Name;

    public static LlmModel Load(LlmOptions options, LlmMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(metrics);
        var folder = ModelFolder.Open(options.ModelPath, options.ModelFile);
        var tokenizer = HfTokenizer.Load(folder.Directory);
        var template = ChatTemplate.FromConfig(tokenizer.Config);
        var plan = ExecutionPlan.From(options.ExecutionProvider, options.DeviceId);
        var session = DecoderSession.Load(folder, plan, options.IntraOpThreads);
        var context = Math.Min(options.ContextLength ?? folder.Config.ContextLength, folder.Config.ContextLength);
        // generation_config.json decides; a folder without one stops at the tokenizer's EOS.
        IReadOnlyList<int> eos = folder.Config.EosTokenIds.Count > 0 ? folder.Config.EosTokenIds
            : tokenizer.EosTokenId is { } id ? [id] : [];
        EngineLoop engine;
        try
        {
            var budget = options.KvCacheBytes ?? KvBudget.Default(folder, session.Layout, context, options.MaxConcurrentRequests);
            engine = new EngineLoop(session,
                new EngineSettings(options.MaxConcurrentRequests, budget, context, options.MaxQueuedRequests, options.PrefillChunkTokens,
                    options.PrefixCacheBytes ?? budget / 4, options.PrefixBlockTokens), metrics);
        }
        catch
        {
            session.Dispose();
            throw;
        }
        return new LlmModel(folder, session, tokenizer, template, engine,
            new Generator(engine, tokenizer, eos, context, session.VocabSize, metrics));
    }

    public OnnxChatClient CreateChatClient() =>
        new(Generator, Tokenizer, Template, Folder.Config.DefaultSampling, ModelId);

    public void Dispose()
    {
        Engine.Dispose();
        Session.Dispose();
    }
}
