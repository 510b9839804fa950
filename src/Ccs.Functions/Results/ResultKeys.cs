using System.Text;

namespace Ccs.Functions.Results;

/// <summary>
/// Case ids as table keys. Ids read from an archive already match the case id rule; names taken from blob or folder
/// names may not, so they are made safe the same way everywhere.
/// Known shortcoming: the key is the case id alone, so two archives that carry the same id (two clinics' batches
/// both holding case_0, "clinicA/x.zip" and "clinicB/x.zip", names that differ only in non-ASCII letters) replace each
/// other's row and files, and an envelope rejection under an archive id replaces a finished row of that id. Keying
/// rows and result folders by archive id and case id together (RowKey = archive id) would keep every upload apart.
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
