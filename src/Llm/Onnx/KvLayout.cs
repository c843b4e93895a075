namespace Rag.Llm.Onnx;

public enum KvLayout
{
    /// <summary>Optimum: <c>present.{i}</c> = concat(past, new), one position longer each step.</summary>
    Concat,

    /// <summary>GroupQueryAttention with a fixed-capacity buffer that is bound as both past and present.</summary>
    Shared,
}
