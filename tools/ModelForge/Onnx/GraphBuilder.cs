namespace Rag.ModelForge.Onnx;

/// <summary>
/// Accumulates nodes, weights, inputs and outputs with generated value names; the op shorthands cover what the
/// decoder and encoder graphs use (default domain at opset 17, where ReduceMean still takes axes as an attribute).
/// A <see cref="Branch"/> builds a subgraph (for If) whose weights and constants live in the top graph, where
/// every branch sees them by name, as exporters' merged decoders share one set of initializers.
/// </summary>
public sealed class GraphBuilder
{
    public const string MicrosoftDomain = "com.microsoft";
    private const long DefaultOpset = 17;

    private readonly string _name;
    private readonly bool _isBranch;
    // Generated names carry the branch name so values in different scopes never collide.
    private readonly string _prefix;
    private readonly List<Node> _nodes = [];
    private readonly List<Initializer> _initializers;
    private readonly HashSet<string> _weightNames;
    private readonly List<ValueInfo> _inputs = [];
    private readonly List<ValueInfo> _outputs = [];
    private readonly Dictionary<string, long> _opsets;
    private int _counter;

    public GraphBuilder(string name)
    {
        _name = name;
        _prefix = "";
        _initializers = [];
        _weightNames = new HashSet<string>(StringComparer.Ordinal);
        _opsets = new Dictionary<string, long> { [""] = DefaultOpset };
    }

    private GraphBuilder(string name, GraphBuilder parent)
    {
        _name = name;
        _isBranch = true;
        _prefix = $"{parent._prefix}{name}/";
        _initializers = parent._initializers;
        _weightNames = parent._weightNames;
        _opsets = parent._opsets;
    }

    /// <summary>A subgraph builder: its nodes may use any value of this graph; its weights are stored here.</summary>
    public GraphBuilder Branch(string branchName) => new(branchName, this);

    public string Input(string inputName, OnnxDataType type, params Axis[] shape)
    {
        _inputs.Add(new ValueInfo(inputName, type, shape));
        return inputName;
    }

    /// <summary>Exposes <paramref name="value"/> as the graph output <paramref name="outputName"/> (through an Identity).</summary>
    public void Output(string value, string outputName, OnnxDataType type, params Axis[] shape)
    {
        Add("Identity", [value], [outputName], "", []);
        DeclareOutput(outputName, type, shape);
    }

    /// <summary>Declares a graph output that a node already produces under that exact name.</summary>
    public void DeclareOutput(string outputName, OnnxDataType type, params Axis[] shape) =>
        _outputs.Add(new ValueInfo(outputName, type, shape));

    /// <summary>Moves an output to the front, where exporters put logits / last_hidden_state.</summary>
    public void MoveOutputFirst(string outputName)
    {
        var index = _outputs.FindIndex(o => o.Name == outputName);
        var output = _outputs[index];
        _outputs.RemoveAt(index);
        _outputs.Insert(0, output);
    }

    /// <summary>A float weight; asking again for a name already stored (by another branch) reuses it.</summary>
    public string Weight(string weightName, float[] data, params long[] dims)
    {
        if (!_weightNames.Add(weightName))
        {
            return weightName;
        }
        _initializers.Add(new Initializer(weightName, OnnxDataType.Float, dims, data));
        return weightName;
    }

    public string Int64s(params long[] values)
    {
        var constName = $"{_prefix}const_i64_{_counter++}";
        _initializers.Add(new Initializer(constName, OnnxDataType.Int64, [values.Length], values));
        return constName;
    }

    public string Scalar(float value)
    {
        var constName = $"{_prefix}const_f32_{_counter++}";
        _initializers.Add(new Initializer(constName, OnnxDataType.Float, [], new[] { value }));
        return constName;
    }

    public string ScalarInt64(long value)
    {
        var constName = $"{_prefix}const_i64_{_counter++}";
        _initializers.Add(new Initializer(constName, OnnxDataType.Int64, [], new[] { value }));
        return constName;
    }

    /// <summary>Adds a node with <paramref name="outputCount"/> generated outputs (an empty input name means "absent").</summary>
    public string[] Node(string opType, IReadOnlyList<string> inputs, int outputCount, string domain, params AttributeValue[] attributes)
    {
        var id = _counter++;
        return Node(opType, inputs, Enumerable.Range(0, outputCount).Select(k => $"{_prefix}{opType}_{id}_{k}").ToArray(), domain, attributes);
    }

    /// <summary>Adds a node whose outputs have the given names (e.g. graph outputs a buffer must be bound to directly).</summary>
    public string[] Node(string opType, IReadOnlyList<string> inputs, string[] outputs, string domain, params AttributeValue[] attributes)
    {
        ArgumentNullException.ThrowIfNull(outputs);
        if (domain.Length > 0)
        {
            _opsets[domain] = 1;
        }
        Add(opType, inputs, outputs, domain, attributes);
        return outputs;
    }

    public string Op(string opType, params string[] inputs) => Node(opType, inputs, 1, "")[0];

    public string Op(string opType, string[] inputs, params AttributeValue[] attributes) => Node(opType, inputs, 1, "", attributes)[0];

    public string MatMul(string a, string b) => Op("MatMul", a, b);

    public string Add(string a, string b) => Op("Add", a, b);

    public string Mul(string a, string b) => Op("Mul", a, b);

    public string Reshape(string x, params long[] shape) => Op("Reshape", x, Int64s(shape));

    public string Transpose(string x, params long[] perm) => Op("Transpose", [x], new AttributeValue("perm", Wholes: perm));

    public string Unsqueeze(string x, params long[] axes) => Op("Unsqueeze", x, Int64s(axes));

    public string Cast(string x, OnnxDataType to) => Op("Cast", [x], new AttributeValue("to", Whole: (long)to));

    public string Softmax(string x) => Op("Softmax", [x], new AttributeValue("axis", Whole: -1));

    public string Concat(long axis, params string[] inputs) => Op("Concat", inputs, new AttributeValue("axis", Whole: axis));

    /// <summary>Dimension <paramref name="axis"/> of <paramref name="x"/> as a 1-element int64 tensor.</summary>
    public string Dimension(string x, long axis) =>
        Op("Shape", [x], new AttributeValue("start", Whole: axis), new AttributeValue("end", Whole: axis + 1));

    public OnnxGraph Build() => new(_name, _nodes.ToArray(), _isBranch ? [] : _initializers.ToArray(), _inputs.ToArray(), _outputs.ToArray(),
        new Dictionary<string, long>(_opsets));

    private void Add(string opType, IReadOnlyList<string> inputs, IReadOnlyList<string> outputs, string domain, IReadOnlyList<AttributeValue> attributes) =>
        _nodes.Add(new Node($"{_prefix}{opType}_node_{_nodes.Count}", opType, domain, inputs, outputs, attributes));
}
