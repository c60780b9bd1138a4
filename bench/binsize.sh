#!/usr/bin/env bash
# Where the bytes of the published AOT binary go: publishes once with the compiler's map file (into its own
# intermediate directory) and prints the largest contributors of code and type data, by assembly, then by
# namespace within one assembly. A type or method generic over another assembly's type counts for the assembly
# that defines the generic (List<OurStruct> is CoreLib); names are the compiler's mangled ones.
# usage: bench/binsize.sh [ASSEMBLY_PREFIX [DEPTH]]   e.g. bench/binsize.sh sidecar 3, bench/binsize.sh S_P_CoreLib 4
# The ≤ 10 MiB target (issue 13) is on the whole file: `ls -l artifacts/publish/dynamic/sidecar`.
set -euo pipefail
cd "$(dirname "$0")/.."
out=artifacts/binsize
dotnet publish src/Sidecar -r linux-x64 -c Release -o "$out" -p:IntermediateOutputPath=obj/binsize/ \
  -p:IlcGenerateMapFile=true >/dev/null
map=src/Sidecar/obj/binsize/native/sidecar.map.xml
printf 'binary: %d bytes\n' "$(stat -c %s "$out/sidecar")"
python3 - "$map" "${1:-}" "${2:-0}" <<'PY'
import collections, html, re, sys
path, prefix, depth = sys.argv[1], sys.argv[2], int(sys.argv[3])
rsp = open(path.replace('.map.xml', '.ilc.rsp')).read().split('\n')
assemblies = {l.rsplit('/', 1)[-1][:-4].replace('.', '_') for l in rsp if l.endswith('.dll')}
assemblies |= {'S_P_CoreLib', 'S_P_TypeLoader', 'S_P_Reflection_Execution', 'S_P_Uri', 'S_P_Xml'}
assemblies = sorted(assemblies, key=len, reverse=True)
kinds = {'MethodCode', 'ConstructedEEType', 'GCInfo', 'TypeGenericDictionary', 'MethodGenericDictionary', 'EEType',
         'UnboxingStub', 'MethodExceptionHandlingInfo'}
def owner(name):
    name = re.sub(r'^_ZTV\d+', '', html.unescape(name))
    name = re.sub(r'^(<Boxed>|Boxed_|__Array<|unbox_)', '', name)
    name = re.sub(r'^(__GenericDict_|__GCStaticBase_|__NonGCStaticBase_|__fatpointer_)', '', name)
    for a in assemblies:
        if name.startswith(a + '_'):
            if not depth:
                return a
            parts = re.split(r'[<$]', name[len(a) + 1:])[0].split('_')
            return a + ':' + '_'.join(parts[:depth])
    return '(other)'
by_kind, by_owner = collections.Counter(), collections.Counter()
for m in re.finditer(r'<(\w+) Name="([^"]*)" Length="(\d+)"', open(path).read()):
    kind, name, length = m.group(1), m.group(2), int(m.group(3))
    by_kind[kind] += length
    if kind in kinds:
        o = owner(name)
        if o.startswith(prefix):
            by_owner[o] += length
print('by kind:')
for k, v in by_kind.most_common(8):
    print(f'  {v:10,d}  {k}')
print('code and types by ' + ('assembly' if not depth else 'namespace') + ':')
for k, v in by_owner.most_common(25):
    print(f'  {v:10,d}  {k}')
PY
