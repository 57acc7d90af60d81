import { useId } from 'react';
import type { SetlistSet } from '../../../shared/concert.schema.js';
import { songSearchUrl, STREAMING_SERVICE_NAMES } from '../../../shared/streaming.js';
import { plural } from '../lib/format.js';
import { Soundtrack } from './Soundtrack.js';
import { useStreamingService } from './streaming-choice.js';

/** "Encore", "Encore 2", a set's own name, or "Set 2" when a show had several plain sets. */
function setLabel(set: SetlistSet, index: number, plainSets: number): string | null {
  if (set.name) return set.name;
  if (set.encore) return set.encore > 1 ? `Encore ${set.encore}` : 'Encore';
  return plainSets > 1 ? `Set ${index + 1}` : null;
}

interface SetlistProps {
  concertId: number;
  artistName: string | null;
  sets: SetlistSet[];
  setlistfmUrl: string | null;
}

/**
 * The show's setlist as setlist.fm has it: sets and encores, songs played from
 * tape marked as such, covers credited, each live song with a search link on the
 * chosen streaming service. Their terms ask for a link back wherever the data is
 * shown, so the attribution always comes with it.
 */
export function Setlist({ concertId, artistName, sets, setlistfmUrl }: SetlistProps) {
  const headingId = useId();
  const [service, setService] = useStreamingService();
  const serviceName = STREAMING_SERVICE_NAMES[service];
  const plainSets = sets.filter((set) => !set.encore && !set.name).length;
  const songCount = sets.reduce((sum, set) => sum + set.songs.filter((song) => !song.tape).length, 0);
  let plainIndex = 0;

  return (
    <section className="card concert-section setlist" aria-labelledby={headingId} data-testid="setlist">
      <div className="card__header">
        <h2 className="card__title" id={headingId}>
          Setlist
        </h2>
        <span className="muted setlist__count">{plural(songCount, 'song')}</span>
      </div>
      {songCount > 0 && <Soundtrack concertId={concertId} service={service} onServiceChange={setService} />}
      {sets.map((set, index) => {
        const label = setLabel(set, set.encore || set.name ? index : plainIndex++, plainSets);
        const setKey = `${index}-${set.name ?? ''}`;
        return (
          <div className="setlist__set" key={setKey}>
            {label && <h3 className="setlist__label">{label}</h3>}
            <ol className="setlist__songs">
              {set.songs.map((song, songIndex) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: a setlist is fixed and may play a song twice: its place in the set is what tells the two apart.
                <li key={`${songIndex}-${song.name}`} className={song.tape ? 'setlist__song setlist__song--tape' : 'setlist__song'}>
                  <span className="setlist__name">{song.name || 'Unknown song'}</span>
                  {song.coverOf && <span className="setlist__cover"> ({song.coverOf} cover)</span>}
                  {song.tape && <span className="badge setlist__tape">from tape</span>}
                  {!song.tape && song.name.trim() && (
                    <a
                      className="setlist__search"
                      href={songSearchUrl(service, artistName, song.name)}
                      target="_blank"
                      rel="noopener noreferrer"
                      data-testid="song-search"
                    >
                      {serviceName}
                      <span className="visually-hidden">: search “{song.name}” (opens in a new tab)</span>
                    </a>
                  )}
                  {song.info && <span className="setlist__info">{song.info}</span>}
                </li>
              ))}
            </ol>
          </div>
        );
      })}
      {setlistfmUrl ? (
        <p className="setlist__attribution">
          <a href={setlistfmUrl} target="_blank" rel="noopener noreferrer" data-testid="setlistfm-attribution">
            Setlist from setlist.fm
            <span className="visually-hidden"> (opens in a new tab)</span>
          </a>
        </p>
      ) : (
        <p className="setlist__attribution muted">Setlist from setlist.fm</p>
      )}
    </section>
  );
}
