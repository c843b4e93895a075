namespace Rag.ModelForge.Reference;

/// <summary>The few dense kernels the managed references need, written plainly (double accumulation) to be easy to trust.</summary>
internal static class Kernels
{
    /// <summary>[rows, inner] × [inner, cols] → [rows, cols].</summary>
    public static float[] MatMul(float[] x, float[] w, int rows, int inner, int cols)
    {
        var result = new float[rows * cols];
        var sums = new double[cols];
        for (var r = 0; r < rows; r++)
        {
            Array.Clear(sums);
            for (var k = 0; k < inner; k++)
            {
                var xv = (double)x[r * inner + k];
                var row = k * cols;
                for (var c = 0; c < cols; c++)
                {
                    sums[c] += xv * w[row + c];
                }
            }
            for (var c = 0; c < cols; c++)
            {
                result[r * cols + c] = (float)sums[c];
            }
        }
        return result;
    }

    public static void AddInPlace(float[] target, float[] value)
    {
        for (var i = 0; i < target.Length; i++)
        {
            target[i] += value[i];
        }
    }

    /// <summary>Adds <paramref name="bias"/> to every row.</summary>
    public static float[] AddRows(float[] x, float[] bias)
    {
        var result = (float[])x.Clone();
        for (var i = 0; i < result.Length; i++)
        {
            result[i] += bias[i % bias.Length];
        }
        return result;
    }

    /// <summary>Softmax of <paramref name="scores"/>, in place.</summary>
    public static void Softmax(Span<double> scores)
    {
        var max = double.NegativeInfinity;
        foreach (var s in scores)
        {
            max = Math.Max(max, s);
        }
        var sum = 0.0;
        for (var i = 0; i < scores.Length; i++)
        {
            scores[i] = Math.Exp(scores[i] - max);
            sum += scores[i];
        }
        for (var i = 0; i < scores.Length; i++)
        {
            scores[i] /= sum;
        }
    }

    /// <summary>Abramowitz–Stegun 7.1.26 (|error| &lt; 1.5e-7), enough for GELU against a 1e-4 tolerance.</summary>
    public static double Erf(double x)
    {
        var sign = Math.Sign(x);
        x = Math.Abs(x);
        var t = 1.0 / (1.0 + 0.3275911 * x);
        var poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
        return sign * (1.0 - poly * Math.Exp(-x * x));
    }
}
