namespace Ccs.Cli;

/// <summary>Exit codes and argument parsing shared by every <c>ccs</c> command.</summary>
internal static class CommandLine
{
    public const int Success = 0;
    public const int Bug = 1;
    public const int BadInput = 2;

    public static int Dispatch(string[] args, IReadOnlyDictionary<string, Func<string[], int>> commands)
    {
        var usage = $"usage: ccs <{string.Join('|', commands.Keys)}> [options]; the README lists every option";
        if (args is ["--help"] or ["-h"] or ["help"])
        {
            Console.Out.WriteLine(usage);
            return Success;
        }

        if (args.Length == 0 || !commands.TryGetValue(args[0], out var command))
        {
            Console.Error.WriteLine(usage);
            return BadInput;
        }

        try
        {
            return command(args[1..]);
        }
        catch (UsageException e)
        {
            Console.Error.WriteLine($"ccs {args[0]}: {e.Message}");
            return BadInput;
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"ccs {args[0]}: internal error, please report it with this trace:\n{e}");
            return Bug;
        }
    }
}

/// <summary>A command line the user got wrong; reported in one line with exit code 2.</summary>
internal sealed class UsageException(string message) : Exception(message);

/// <summary>
/// Options of the form <c>--name value</c> and <c>--flag</c> after one or more positional arguments.
/// </summary>
internal sealed class ParsedArguments
{
    private readonly Dictionary<string, string?> _options = new(StringComparer.Ordinal);
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);

    public IReadOnlyList<string> Positional { get; }

    public ParsedArguments(string[] args, IReadOnlySet<string> flags)
    {
        var positional = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                positional.Add(arg);
                continue;
            }

            var name = arg[2..];
            if (flags.Contains(name))
            {
                _options[name] = null;
            }
            else if (i + 1 < args.Length)
            {
                _options[name] = args[++i];
            }
            else
            {
                throw new UsageException($"option --{name} needs a value");
            }
        }

        Positional = positional;
    }

    public bool Flag(string name)
    {
        _read.Add(name);
        return _options.ContainsKey(name);
    }

    public string? Text(string name)
    {
        _read.Add(name);
        return _options.GetValueOrDefault(name);
    }

    public int Integer(string name, int fallback, int min, int max)
    {
        var text = Text(name);
        if (text is null)
        {
            return fallback;
        }

        if (!int.TryParse(text, out var value) || value < min || value > max)
        {
            throw new UsageException($"--{name} must be a whole number from {min} to {max}, not '{text}'");
        }

        return value;
    }

    /// <summary>The option's value, or null when it was not given.</summary>
    public double? OptionalNumber(string name, double min, double max) =>
        Text(name) is null ? null : Number(name, min, min, max);

    public double Number(string name, double fallback, double min, double max)
    {
        var text = Text(name);
        if (text is null)
        {
            return fallback;
        }

        if (!double.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var value)
            || !double.IsFinite(value) || value < min || value > max)
        {
            throw new UsageException($"--{name} must be a number from {min} to {max}, not '{text}'");
        }

        return value;
    }

    /// <summary>Fails on any option the command never asked for, so a typo is not silently ignored.</summary>
    public void RejectUnknown()
    {
        var unknown = _options.Keys.Where(k => !_read.Contains(k)).ToList();
        if (unknown.Count > 0)
        {
            throw new UsageException($"unknown option --{unknown[0]}");
        }
    }
}
