namespace Rag.ModelForge.Decoder;

/// <summary>
/// Rotary position embedding tables [max_positions, head_dim / 2] in Llama's non-interleaved ("rotate half") form:
/// angle(p, j) = p · theta^(-2j / head_dim). The same tables feed the graph and the managed reference.
/// </summary>
public static class Rotary
{
    public static (float[] Cos, float[] Sin) Tables(DecoderConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var half = config.HeadDim / 2;
        var cos = new float[config.MaxPositions * half];
        var sin = new float[cos.Length];
        for (var p = 0; p < config.MaxPositions; p++)
        {
            for (var j = 0; j < half; j++)
            {
                var angle = p * Math.Pow(config.RopeTheta, -2.0 * j / config.HeadDim);
                cos[p * half + j] = (float)Math.Cos(angle);
                sin[p * half + j] = (float)Math.Sin(angle);
            }
        }
        return (cos, sin);
    }
}
