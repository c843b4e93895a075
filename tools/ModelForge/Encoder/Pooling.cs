namespace Rag.ModelForge.Encoder;

/// <summary>How sentence-transformers' Pooling module turns token states into one vector.</summary>
public enum Pooling
{
    Mean,
    Cls,
}
