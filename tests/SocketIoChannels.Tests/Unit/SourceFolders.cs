using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace SocketIoChannels.Tests.Unit;

/// <summary>The source folder of each top-level type of an assembly, read from its portable PDB: the documents of
/// the type's method bodies, or (for a type without bodies: interfaces, enums) the documents the compiler records
/// for it.</summary>
internal static class SourceFolders
{
    /// <summary>The compiler's TypeDefinitionDocuments custom debug information.</summary>
    private static readonly Guid TypeDefinitionDocuments = new("932E74BC-DBA9-4478-8D46-0F32A7BAB3D3");

    /// <summary>Maps each top-level type whose source files all sit in one folder of the project to that folder
    /// (the first directory under the project directory); a type in no folder, or in two, is left out.</summary>
    public static IReadOnlyDictionary<Type, string> Map(Assembly assembly)
    {
        var projectDirectory = "/src/" + assembly.GetName().Name + "/";
        using var peStream = File.OpenRead(assembly.Location);
        using var pe = new PEReader(peStream);
        var metadata = pe.GetMetadataReader();
        using var pdbProvider = OpenPdb(pe, assembly.Location);
        var pdb = pdbProvider.GetMetadataReader();

        var documents = new Dictionary<TypeDefinitionHandle, HashSet<string>>();
        void Add(TypeDefinitionHandle type, DocumentHandle document)
        {
            while (metadata.GetTypeDefinition(type).GetDeclaringType() is { IsNil: false } outer)
            {
                type = outer;
            }

            var path = pdb.GetString(pdb.GetDocument(document).Name).Replace('\\', '/');
            if (path.EndsWith(".g.cs", StringComparison.Ordinal))
            {
                return; // source generators' output (the [LoggerMessage] partials) says nothing about the folder
            }

            var at = path.LastIndexOf(projectDirectory, StringComparison.Ordinal);
            var relative = at < 0 ? path : path[(at + projectDirectory.Length)..];
            var slash = relative.IndexOf('/', StringComparison.Ordinal);
            (documents.TryGetValue(type, out var set) ? set : documents[type] = []).Add(at < 0 || slash < 0 ? "(" + path + ")" : relative[..slash]);
        }

        foreach (var method in metadata.MethodDefinitions)
        {
            var debug = pdb.GetMethodDebugInformation(method.ToDebugInformationHandle());
            var declaring = metadata.GetMethodDefinition(method).GetDeclaringType();
            if (!debug.Document.IsNil)
            {
                Add(declaring, debug.Document);
            }
            else if (!debug.SequencePointsBlob.IsNil)
            {
                foreach (var point in debug.GetSequencePoints())
                {
                    Add(declaring, point.Document);
                }
            }
        }

        foreach (var handle in pdb.CustomDebugInformation)
        {
            var information = pdb.GetCustomDebugInformation(handle);
            if (information.Parent.Kind != HandleKind.TypeDefinition || pdb.GetGuid(information.Kind) != TypeDefinitionDocuments)
            {
                continue;
            }

            var blob = pdb.GetBlobReader(information.Value);
            while (blob.RemainingBytes > 0)
            {
                Add((TypeDefinitionHandle)information.Parent, MetadataTokens.DocumentHandle(blob.ReadCompressedInteger()));
            }
        }

        var map = new Dictionary<Type, string>();
        foreach (var (handle, folders) in documents)
        {
            if (folders.Count == 1)
            {
                map[assembly.ManifestModule.ResolveType(MetadataTokens.GetToken(handle))] = folders.Single();
            }
        }

        return map;
    }

    private static MetadataReaderProvider OpenPdb(PEReader pe, string location)
    {
        var embedded = pe.ReadDebugDirectory().FirstOrDefault(e => e.Type == DebugDirectoryEntryType.EmbeddedPortablePdb);
        if (embedded.DataSize > 0)
        {
            return pe.ReadEmbeddedPortablePdbDebugDirectoryData(embedded);
        }

        var path = Path.ChangeExtension(location, ".pdb");
        Assert.True(File.Exists(path), $"The architecture tests read the library's portable PDB to learn each type's folder; {path} is missing.");
        return MetadataReaderProvider.FromPortablePdbStream(File.OpenRead(path));
    }
}
