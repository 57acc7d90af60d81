import type { PlaylistFormat } from '../../shared/playlist.js';
import type { StreamingService } from '../../shared/streaming.js';
import { concertPlaylist, contentDisposition, playlistFileNames } from '../exports/concert-playlist.js';
import { M3U_CONTENT_TYPE, writeM3u } from '../exports/m3u-writer.js';
import { XSPF_CONTENT_TYPE, writeXspf } from '../exports/xspf-writer.js';
import { NotFoundError } from '../errors.js';
import type { ConcertRepository } from '../repositories/concert.repository.js';
import type { AccessService } from './access.js';

const WRITERS = {
  m3u: { contentType: M3U_CONTENT_TYPE, write: writeM3u },
  xspf: { contentType: XSPF_CONTENT_TYPE, write: writeXspf },
} as const;

/** A concert's setlist as a playlist file to download (GET /api/playlists/concerts/:id.m3u|xspf). */
export class PlaylistService {
  constructor(
    private readonly access: Pick<AccessService, 'requireOwned'>,
    private readonly concerts: Pick<ConcertRepository, 'get'>,
  ) {}

  async concertFile(userId: number, concertId: number, format: PlaylistFormat, service: StreamingService) {
    await this.access.requireOwned('concert', userId, concertId);
    const concert = await this.concerts.get(userId, concertId);
    // Deleted between the two reads.
    if (!concert) throw new NotFoundError('Concert');
    const writer = WRITERS[format];
    return {
      contentType: writer.contentType,
      contentDisposition: contentDisposition(playlistFileNames(concert, format)),
      body: writer.write(concertPlaylist(concert, service)),
    };
  }
}
