using System.Text;

namespace Ccs.Functions.Results;

/// <summary>
/// Case ids and archive ids as table keys and result folder names. Ids read from an archive already match the case id
/// rule; names taken from blob or folder names may not, so they are made safe the same way everywhere. A result is
/// keyed by both (PartitionKey = case id, RowKey = archive id, files under <c>&lt;caseId&gt;/&lt;archiveId&gt;/</c>),
/// so two uploads that carry one case id keep their own rows and files.
/// </summary>
public static class ResultKeys
{
    public const int MaxLength = 64;

    /// <summary>Letters, digits, '.', '_' and '-', at most 64, not starting with '.' or '-'.</summary>
    public static string Safe(string name)
    {
        var safe = new StringBuilder(Math.Min(name.Length, MaxLength));
        foreach (var c in name)
        {
            if (safe.Length == MaxLength)
            {
                break;
            }

            safe.Append(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' ? c : '_');
        }

        if (safe.Length == 0 || safe[0] is '.' or '-')
        {
            safe.Insert(0, '_');
        }

        return safe.ToString(0, Math.Min(safe.Length, MaxLength));
    }

    public static bool IsValid(string key) => key.Length is > 0 and <= MaxLength && Safe(key) == key;
}
